#!/bin/sh
# The same deployment as uwsgi.ini, written as a command line.
exec uwsgi --http-socket 127.0.0.1:11112 --chdir /code/yikaoyan/ --wsgi-file yikaoyan/wsgi.py --master --processes=4 --threads=2 --stats 127.0.0.1:9191
