/** The standard library's `http.server` and `socketserver` handlers, and raw sockets. */
import type { FlowModel } from './types.js';

const HANDLER = 'http.server.BaseHTTPRequestHandler';

export const httpServerModel: FlowModel = {
  name: 'http.server / socketserver / socket',
  objects: [
    {
      type: HANDLER,
      members: ['path', 'headers', 'requestline', 'raw_requestline', 'rfile', 'command'],
      objectMembers: { wfile: 'http.server.ResponseBody' },
      kind: 'remote',
      description: '`http.server` handler input (`self.path`, `self.headers`, `self.rfile.read()`); what `urllib.parse` extracts from them stays untrusted',
    },
    {
      type: 'socketserver.BaseRequestHandler',
      members: ['request', 'rfile', 'data'],
      kind: 'remote',
      description: '`socketserver` handler input (`self.request.recv()`, `self.rfile`)',
    },
  ],
  sinks: [
    { rule: 'PW106', objectType: 'http.server.ResponseBody', methods: ['write', 'writelines'], args: [0], when: 'html-unless-other-content-type', description: '`self.wfile.write(body)` in an `http.server` handler (HTML unless the handler sends another Content-Type)' },
  ],
  sources: [
    {
      qnames: ['socket.socket().recv()', 'socket.socket().recvfrom()', 'socket.socket().recv_into()', 'socket.socket().recvmsg()', 'socket.create_connection().recv()', 'socket.socket().accept().recv()', 'socket.socket().makefile().read()', 'socket.socket().makefile().readline()'],
      // `conn, addr = server.accept()` then `conn.recv(1024)`: the connection's type is lost in the unpacking
      methods: ['recv', 'recvfrom', 'recv_into', 'recvmsg'],
      whenImports: ['socket', 'socketserver', 'ssl', 'asyncio'],
      kind: 'remote',
      description: 'data read from a socket (`sock.recv()`, `recvfrom()`)',
    },
  ],
  entryPoints: [
    {
      description: '`http.server.BaseHTTPRequestHandler` subclasses: `do_GET`, `do_POST`, ...',
      kind: 'remote',
      classBases: ['http.server.BaseHTTPRequestHandler', 'http.server.SimpleHTTPRequestHandler', 'http.server.CGIHTTPRequestHandler'],
      methods: ['do_*', 'handle', 'handle_one_request', 'send_head'],
      selfObjects: { '': HANDLER },
      parameters: { skip: ['self'], rest: false },
    },
    {
      description: '`socketserver` request handlers: `handle()`',
      kind: 'remote',
      classBases: ['socketserver.BaseRequestHandler', 'socketserver.StreamRequestHandler', 'socketserver.DatagramRequestHandler'],
      methods: ['handle', 'setup'],
      selfObjects: { '': 'socketserver.BaseRequestHandler' },
      parameters: { skip: ['self'], rest: false },
    },
  ],
};
