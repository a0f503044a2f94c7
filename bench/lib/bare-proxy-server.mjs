// The bare proxy the runtime is measured against: a minimal HTTP server that forwards each message
// with one undici call and stores nothing. POST /to-chatwoot {conversationId, text} posts the text
// into the fake Chatwoot conversation; POST /webhook (Chatwoot's) forwards an agent message to the
// channel callback. Configured by HANDOFF_BENCH_BARE (JSON); prints "listening <url>".
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { answerProbes } from './child-probe.mjs';

answerProbes();
const settings = JSON.parse(process.env.HANDOFF_BENCH_BARE ?? '{}');
const dispatcher = new Agent({ connections: 256 });

const forward = async (url, headers, body) => {
  const response = await request(url, { method: 'POST', dispatcher, headers, body: JSON.stringify(body) });
  await response.body.dump();
  if (response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}`);
};

const server = createServer((incoming, response) => {
  let raw = '';
  incoming.on('data', (chunk) => {
    raw += chunk;
  });
  incoming.on('end', async () => {
    try {
      const body = JSON.parse(raw);
      if (incoming.url === '/to-chatwoot') {
        await forward(
          `${settings.chatwootUrl}/api/v1/accounts/${settings.accountId}/conversations/${body.conversationId}/messages`,
          { 'content-type': 'application/json', api_access_token: settings.token },
          { content: body.text, message_type: 'incoming' },
        );
      } else if (body.event === 'message_created' && body.message_type === 'outgoing' && !body.private) {
        await forward(settings.callbackUrl, { 'content-type': 'application/json' }, { text: body.content });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } catch (error) {
      response.writeHead(502).end(String(error));
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
