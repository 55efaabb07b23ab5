// Entry of the console bundle (app/build.ts): mounts the shell component into the page the gateway
// serves at /app (gateway/console.ts). Native shadow DOM only (no synthetic shadow polyfill): every
// component's styles are constructable stylesheets, which the page's CSP (style-src 'self') allows.
import { createElement } from 'lwc';
import Console from 'c360/console';

const root = document.getElementById('c360-root');
root.replaceChildren(createElement('c360-console', { is: Console }));
