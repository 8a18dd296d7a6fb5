import { pageText } from './bench/decode.mjs';
import { SEED, TOKENS } from './bench/load.mjs';
const pkg = await import('qualys-cs');
const { text } = pageText(50);
const H = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
const client = new pkg.ContainerSecurityClient({ baseUrl: 'http://127.0.0.1:9', token: TOKENS.admin, retry: false,
  fetch: async () => new Response(text, { status: 200, headers: H }) });
const ours = async () => (await client.listRegistrySchedules(SEED.registryId)).data;
for (let i = 0; i < 3000; i++) await ours();
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
for (let i = 0; i < 5000; i++) await ours();
const { profile } = await s.post('Profiler.stop');
const byId = {}; profile.nodes.forEach((n) => byId[n.id] = n);
const self = {}; profile.samples.forEach((id, i) => { const n = byId[id]; const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; self[k] = (self[k] || 0) + (profile.timeDeltas[i] || 0); });
Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 40).forEach(([k, v]) => console.log('  ' + (v / 5000).toFixed(1) + 'us', k));
