import { generateDataset } from './index.js';
const c0 = process.cpuUsage(); const t = performance.now();
generateDataset({ accounts: 10000, today: '2026-03-15' });
const c = process.cpuUsage(c0);
console.log('wall', (performance.now() - t).toFixed(0), 'cpu', ((c.user + c.system) / 1000).toFixed(0));
