/**
 * uWSGI options whose value is a name from a fixed set, and what uWSGI does with a name it does
 * not know. Hand-written from the handlers and registries of the uWSGI source (2.0.21, 2.0.30 and
 * master: core/socket.c protocols, core/loop.c and the loop plugins, core/lock.c, core/utils.c
 * namespaces and capabilities, core/logging.c loggers and encoders, core/master_utils.c cheaper
 * algorithms, core/subscription.c, core/uwsgi.c fileserve modes). Every name any plugin registers
 * is accepted: which plugins a deployment loads is not known here, and a name no plugin has fails
 * everywhere. Verified against Debian's uWSGI 2.0.21 (test/integration/uwsgiBehaviour.test.ts).
 */

/** What uWSGI does with a name it does not know. */
export type UnknownValueEffect =
	/** it stops at startup */
	| 'exit'
	/** it ignores the value and starts: the option has no effect */
	| 'ignore'
	/** it uses its default instead, and starts */
	| 'fallback';

export interface FixedValueRule {
	/** Every name uWSGI core or one of its plugins accepts. */
	readonly values: readonly string[];
	/** Compared ignoring case (strcasecmp); otherwise exactly (strcmp). */
	readonly ignoreCase?: boolean;
	/** A comma-separated list whose every item is checked. */
	readonly list?: boolean;
	/** An item may be a number instead of a name (capability numbers). */
	readonly numbers?: boolean;
	/** The name ends at the first of these characters (a logger `file:/path`, an encoder `prefix text`). */
	readonly nameEnds?: string;
	/** An alphanumeric id and a blank may come before the name (`logger = applog file:/var/log/app.log`). */
	readonly idPrefix?: boolean;
	readonly unknown: UnknownValueEffect;
	/** For `exit`: the line uWSGI prints ({name} is the unknown name). */
	readonly exitLog?: string;
	/** The check runs in each worker: with the master, uWSGI respawns workers that stop at once instead of exiting. */
	readonly inWorkers?: boolean;
	/** For a list: uWSGI stops only when no item is known (and prints this), skipping unknown ones otherwise. */
	readonly exitWhenNoneKnown?: string;
	/** For `fallback`: the name uWSGI uses instead. */
	readonly fallback?: string;
	/** Plugins register names of this set: a plugin from outside uWSGI's repository may add more. */
	readonly fromPlugins?: boolean;
	/** What the option is, for messages ("protocol", "loop engine"). */
	readonly what: string;
}

const PROTOCOLS = ['uwsgi', 'puwsgi', 'http', 'http11', 'suwsgi', 'https', 'fastcgi', 'fastcgi-nph', 'scgi', 'scgi-nph', 'raw', 'mongrel2'];
const NAMESPACES = ['files', 'ipc', 'net', 'io', 'parent', 'pid', 'ns', 'fs', 'mount', 'mnt', 'sysvsem', 'uts', 'user'];
const CAPABILITIES = ['chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap', 'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod', 'lease', 'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog', 'wake_alarm'];
const LOGGERS = ['crypto', 'fd', 'file', 'graylog2', 'mongodblog', 'pipe', 'python', 'redislog', 'rsyslog', 'socket', 'stdio', 'syslog', 'systemd', 'zeromq', 'zmq'];
const LOG_ENCODERS = ['compress', 'format', 'gzip', 'json', 'msgpack', 'nl', 'prefix', 'suffix'];

const protocol: FixedValueRule = { what: 'protocol', values: PROTOCOLS, unknown: 'exit', exitLog: 'unable to find protocol {name}', fromPlugins: true };
const fileserve: FixedValueRule = { what: 'file serving mode', values: ['x-sendfile', 'xsendfile', 'x-accel-redirect', 'xaccelredirect', 'nginx'], ignoreCase: true, unknown: 'ignore' };
const unshare: FixedValueRule = { what: 'namespace', values: NAMESPACES, list: true, unknown: 'exit', exitLog: 'unknown namespace subsystem: {name}' };
const capabilities: FixedValueRule = { what: 'capability', values: CAPABILITIES, list: true, numbers: true, unknown: 'ignore', exitWhenNoneKnown: '[security] empty capabilities mask !!!' };
const logger: FixedValueRule = { what: 'logger', values: LOGGERS, nameEnds: ':', idPrefix: true, unknown: 'exit', exitLog: 'unable to find logger {name}', fromPlugins: true };
const encoder: FixedValueRule = { what: 'log encoder', values: LOG_ENCODERS, nameEnds: ' :', unknown: 'exit', exitLog: 'log encoder "{name}" not found', fromPlugins: true };

export const UWSGI_VALUE_RULES: Readonly<Record<string, FixedValueRule>> = {
	'protocol': protocol,
	'socket-protocol': protocol,
	'fileserve-mode': fileserve,
	'file-serve-mode': fileserve,
	'lock-engine': { what: 'lock engine', values: ['ipcsem'], unknown: 'exit', exitLog: 'unable to find lock engine "{name}"' },
	'loop': { what: 'loop engine', values: ['simple', 'async', 'asyncio', 'coroae', 'dumb', 'gevent', 'go', 'goroutine', 'goroutines', 'rbthreads', 'tornado'], unknown: 'exit', exitLog: 'unavailable loop engine !!!', inWorkers: true, fromPlugins: true },
	'cheaper-algo': { what: 'cheaper algorithm', values: ['spare', 'spare2', 'backlog', 'backlog2', 'busyness', 'manual'], unknown: 'fallback', fallback: 'spare', fromPlugins: true },
	'subscription-algo': { what: 'subscription algorithm', values: ['wrr', 'lrc', 'wlrc', 'iphash'], unknown: 'fallback', fallback: 'wrr' },
	'unshare': unshare,
	'unshare2': unshare,
	'emperor-use-clone': unshare,
	'cap': capabilities,
	'emperor-cap': capabilities,
	'vassals-cap': capabilities,
	'vassal-cap': capabilities,
	'logger': logger,
	'req-logger': logger,
	'logger-req': logger,
	'worker-logger': logger,
	'worker-logger-req': logger,
	'log-encoder': encoder,
	'log-req-encoder': encoder,
	'worker-log-encoder': encoder,
	'worker-log-req-encoder': encoder,
};

/** The names each fixed-set option takes, for completion. */
export const UWSGI_FIXED_VALUES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
	Object.entries(UWSGI_VALUE_RULES).map(([name, rule]) => [name, rule.values]),
);

/** Route actions every router plugin registers (core/routing.c, plugins/router_*, …). */
export const UWSGI_ROUTE_ACTIONS: ReadonlySet<string> = new Set(['*', '+', '-', '/', 'access', 'addheader', 'addvar', 'alarm', 'basicauth', 'basicauth-next', 'break', 'break-with-status', 'cache', 'cache-continue', 'cache-store', 'cachedec', 'cachediv', 'cacheinc', 'cachemul', 'cacheset', 'cachestore', 'cachevar', 'call', 'cgi', 'cgihelper', 'chdir', 'chunked', 'clearheaders', 'continue', 'delheader', 'disableheaders', 'donotlog', 'donotoffload', 'expires', 'fastfile', 'fastfile-next', 'fcgi', 'fcgiauth', 'file', 'file-next', 'fixcl', 'fixpathinfo', 'flush', 'forcecl', 'goto', 'gridfs', 'gzip', 'harakiri', 'hash', 'http', 'httpconnect', 'httpdumb', 'last', 'ldapauth', 'ldapauth-next', 'log', 'logvar', 'memcached', 'memcached-continue', 'memcached-store', 'memcachedstore', 'metricdec', 'metricdiv', 'metricinc', 'metricmul', 'metricset', 'offload', 'proxyhttp', 'proxyhttpconnect', 'proxyuwsgi', 'radius', 'radius-next', 'redirect', 'redirect-301', 'redirect-302', 'redirect-permanent', 'redis', 'redis-continue', 'redis-store', 'redisstore', 'remheader', 'resetheaders', 'return', 'rewrite', 'rewrite-last', 'rpc', 'rpcblob', 'rpcnext', 'rpcraw', 'rpcret', 'rpcvar', 'send', 'send-crnl', 'sendfile', 'sendfile-next', 'setapp', 'setdocroot', 'setfile', 'sethome', 'setmethod', 'setmodifier1', 'setmodifier2', 'setpathinfo', 'setprocname', 'setremoteaddr', 'setscheme', 'setscriptname', 'seturi', 'setuser', 'signal', 'spnego', 'spnego-next', 'ssi', 'static', 'static-next', 'symcall', 'symcall-next', 'template', 'to-file', 'tofile', 'toupper', 'toxslt', 'uwsgi', 'xmldir', 'xslt']);

/** Conditions of `route-if` (core/routing.c and plugins). */
export const UWSGI_ROUTE_CONDITIONS: ReadonlySet<string> = new Set(['<', '<=', '==', '>', '>=', 'contain', 'contains', 'empty', 'endswith', 'eq', 'equal', 'exists', 'incache', 'ipv4in', 'ipv6in', 'isdir', 'isequal', 'isexec', 'isfile', 'ishigher', 'ishigherequal', 'islink', 'islower', 'islowerequal', 'lord', 're', 'regexp', 'startswith']);

/** Hook actions (core/hooks.c and plugins). */
export const UWSGI_HOOK_ACTIONS: ReadonlySet<string> = new Set(['alarm', 'append', 'appendn', 'call', 'callint', 'callintret', 'callret', 'cd', 'chdir', 'chmod', 'chown', 'chown2', 'creat', 'create', 'exec', 'exit', 'ffi', 'hostname', 'log', 'mkdir', 'mount', 'perl', 'print', 'putenv', 'retryrpc', 'rpc', 'safeexec', 'spinningfifo', 'sticky', 'tcc', 'umount', 'unix_signal', 'unlink', 'wait_for_dir', 'wait_for_file', 'wait_for_fs', 'wait_for_socket', 'write', 'writefifo', 'writen']);

/** Alarm types (`alarm = <name> <type>:<args>`; core/alarm.c and the alarm plugins). */
export const UWSGI_ALARM_TYPES: ReadonlySet<string> = new Set(['airbrake', 'cmd', 'curl', 'log', 'mule', 'signal', 'speech', 'xmpp']);

/**
 * Hook options whose phase runs while uWSGI starts (a bad hook stops it there). The others run
 * later (at exit, in the Emperor, on a touched file) or take another syntax (`hook-touch`).
 */
export const UWSGI_STARTUP_HOOKS: ReadonlySet<string> = new Set(['hook-asap', 'hook-pre-jail', 'hook-post-jail', 'hook-in-jail', 'hook-as-root', 'hook-as-user', 'hook-pre-app', 'hook-post-app', 'hook-post-fork', 'hook-accepting', 'hook-accepting1', 'hook-accepting-once', 'hook-accepting1-once', 'hook-master-start', 'hook-as-mule', 'hook-as-gateway']);

/** The plugins of uWSGI's own repository (2.0.x and master), by folder name. */
const UWSGI_PLUGINS: ReadonlySet<string> = new Set(['airbrake', 'alarm_curl', 'alarm_speech', 'alarm_xmpp', 'asyncio', 'cache', 'carbon', 'cgi', 'cheaper_backlog2', 'cheaper_busyness', 'clock_monotonic', 'clock_realtime', 'corerouter', 'coroae', 'cplusplus', 'curl_cron', 'dumbloop', 'dummy', 'echo', 'emperor_amqp', 'emperor_mongodb', 'emperor_pg', 'emperor_zeromq', 'example', 'exception_log', 'fastrouter', 'fiber', 'forkptyrouter', 'gccgo', 'geoip', 'gevent', 'glusterfs', 'graylog2', 'greenlet', 'gridfs', 'http', 'jvm', 'jwsgi', 'ldap', 'legion_cache_fetch', 'libffi', 'libtcc', 'logcrypto', 'logfile', 'logpipe', 'logsocket', 'logzmq', 'lua', 'matheval', 'mongodb', 'mongodblog', 'mongrel2', 'mono', 'msgpack', 'nagios', 'notfound', 'objc_gc', 'pam', 'php', 'ping', 'psgi', 'pty', 'pypy', 'python', 'pyuwsgi', 'rack', 'rados', 'rawrouter', 'rbthreads', 'redislog', 'ring', 'router_access', 'router_basicauth', 'router_cache', 'router_expires', 'router_fcgi', 'router_hash', 'router_http', 'router_memcached', 'router_metrics', 'router_radius', 'router_redirect', 'router_redis', 'router_rewrite', 'router_spnego', 'router_static', 'router_uwsgi', 'router_xmldir', 'rpc', 'rrdtool', 'rsyslog', 'ruby19', 'servlet', 'signal', 'spooler', 'sqlite3', 'ssi', 'sslrouter', 'stackless', 'stats_pusher_file', 'stats_pusher_mongodb', 'stats_pusher_socket', 'stats_pusher_statsd', 'symcall', 'syslog', 'systemd_logger', 'tornado', 'transformation_chunked', 'transformation_gzip', 'transformation_offload', 'transformation_template', 'transformation_tofile', 'transformation_toupper', 'tuntap', 'ugreen', 'v8', 'webdav', 'xattr', 'xslt', 'zabbix', 'zergpool']);

/**
 * Whether a plugin a config loads (`plugin = python3`, `plugins = /opt/x/foo_plugin.so`) is one
 * of uWSGI's own: the file name without `_plugin.so`, and without the version packagers add
 * (`python311`, `rack_ruby30`, `lua51`). Another plugin may register route actions, loggers, …
 * of its own.
 */
export function isUwsgiPlugin(name: string): boolean {
	let n = name.trim().toLowerCase();
	n = n.slice(n.lastIndexOf('/') + 1).replace(/(_plugin)?\.so$/, '').replace(/^\d+:/, '');
	if (!n || UWSGI_PLUGINS.has(n)) { return true; }
	const base = n.replace(/(_(ruby|python|lua|php)?)?[\d.]+$/, '');
	return UWSGI_PLUGINS.has(base);
}
