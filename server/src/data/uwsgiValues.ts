/** Options of uWSGI whose value comes from a fixed set (from their handlers in core/uwsgi.c and core/protocol.c). */
export const UWSGI_FIXED_VALUES: Readonly<Record<string, readonly string[]>> = {
	'fileserve-mode': ['x-sendfile', 'xsendfile', 'x-accel-redirect', 'xaccelredirect', 'nginx'],
	'protocol': ['uwsgi', 'http', 'http11', 'https', 'fastcgi', 'fastcgi-nph', 'scgi', 'scgi-nph', 'raw', 'puwsgi', 'suwsgi'],
	'socket-protocol': ['uwsgi', 'http', 'http11', 'https', 'fastcgi', 'fastcgi-nph', 'scgi', 'scgi-nph', 'raw', 'puwsgi', 'suwsgi'],
};
