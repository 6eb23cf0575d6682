// Apollo Gateway (@apollo/gateway 2.14.4 behind @apollo/server's standalone server) as a reference
// gateway for the federation tests: PARKGRAPH_TEST_GATEWAY=apollo runs them against it, to check
// that the tests' expected answers are what Apollo's own gateway returns.
// Usage: node apollo_gateway.mjs SUPERGRAPH_FILE   (listens on 127.0.0.1 and a free port; prints
// one line `{"url": ...}` when ready; stops on SIGTERM or when stdin closes).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const nodeDir = resolve(process.env.PARKGRAPH_NODE_MODULES ?? join(homedir(), '.cache', 'parkgraph-node'));
const require = createRequire(join(nodeDir, 'package.json'));
const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');
const { ApolloGateway } = require('@apollo/gateway');

const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.argv[2], 'utf8') });
const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(JSON.stringify({ url }) + '\n');

const stop = () => server.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
