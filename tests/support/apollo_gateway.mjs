// Apollo Gateway (@apollo/gateway 2.14.4 behind @apollo/server's standalone server) as a reference
// gateway for the federation tests: PARKGRAPH_TEST_GATEWAY=apollo runs them against it, to check
// that the tests' expected answers are what Apollo's own gateway returns.
// Usage: node apollo_gateway.mjs SUPERGRAPH_FILE [HEADERS_FILE]   (listens on 127.0.0.1 and a free port;
// prints one line `{"url": ...}` when ready; stops on SIGTERM or when stdin closes).
// HEADERS_FILE is JSON {"<subgraph name>": {"<header>": "<value>"}}: headers set on every call to that
// subgraph (willSendRequest), e.g. the x-parkgraph-identity our subgraphs require and Apollo cannot sign.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const nodeDir = resolve(process.env.PARKGRAPH_NODE_MODULES ?? join(homedir(), '.cache', 'parkgraph-node'));
const require = createRequire(join(nodeDir, 'package.json'));
const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');
const { ApolloGateway, RemoteGraphQLDataSource } = require('@apollo/gateway');

const subgraphHeaders = process.argv[3] ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : {};

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.argv[2], 'utf8'),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        for (const [header, value] of Object.entries(subgraphHeaders[name] ?? {})) {
          request.http.headers.set(header, value);
        }
      },
    }),
});
const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(JSON.stringify({ url }) + '\n');

const stop = () => server.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
