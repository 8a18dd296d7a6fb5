import { pageText } from './bench/decode.mjs';
import { SEED, TOKENS } from './bench/load.mjs';
const pkg = await import('qualys-cs');
const { text } = pageText(50);
const H = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
const client = new pkg.ContainerSecurityClient({ baseUrl: 'http://127.0.0.1:9', token: TOKENS.admin, retry: false,
  fetch: async () => new Response(text, { status: 200, headers: H }) });
const ours = async () => (await client.listRegistrySchedules(SEED.registryId)).data;
const raw = async () => (await (async () => new Response(text, { status: 200, headers: H }))()).json();
const N = 3000;
for (let r = 0; r < 6; r++) {
  for (const [name, f] of [['raw', raw], ['ours', ours]]) {
    const t = performance.now(); for (let i = 0; i < N; i++) await f(); 
    process.stdout.write(`${name} ${((performance.now() - t) / N * 1000).toFixed(1)}us  `);
  }
  console.log();
}
