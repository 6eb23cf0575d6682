// Subscribes through the gateway with the graphql-ws client; prints each result as one JSON line.
// Usage: node graphql_ws_client.mjs <ws url> <bearer token> <query> <variables JSON>
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variables] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${token}` },
  retryAttempts: 0,
  on: { connected: () => console.log(JSON.stringify({ connected: true })) },
});
client.subscribe(
  { query, variables: JSON.parse(variables) },
  {
    next: (result) => console.log(JSON.stringify({ next: result })),
    error: (error) => {
      // GraphQL errors (an `error` message) arrive as an array; a closed socket as a CloseEvent.
      const reported = Array.isArray(error) ? { errors: error } : { error: String(error?.reason ?? error?.message ?? error) };
      console.log(JSON.stringify(reported));
      process.exit(1);
    },
    complete: () => process.exit(0),
  },
);
