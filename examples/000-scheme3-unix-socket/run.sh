#!/bin/sh
exec uwsgi --chdir /code/yikaoyan/ --socket yikaoyan.sock --chmod-socket=660 --vacuum --wsgi-file yikaoyan/wsgi.py --master --processes=2 --threads=4 --stats 127.0.0.1:9191
