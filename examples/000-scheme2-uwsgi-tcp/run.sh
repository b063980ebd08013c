#!/bin/sh
# The document binds ":11112" (every interface); this example keeps it on loopback.
exec uwsgi --socket 127.0.0.1:11112 --chdir /code/yikaoyan/ --wsgi-file yikaoyan/wsgi.py --master --processes=4 --threads=2 --stats 127.0.0.1:9191
