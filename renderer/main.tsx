/**
 * The entry, kept small: it connects to the host and starts the start-up reads (workspace, then
 * its notebook) while the app's code, a separate chunk, loads and evaluates; then starts the app.
 * The host's read of a large notebook and the bundle's evaluation overlap instead of queueing.
 */
import { connectHost } from './host/connectHost';
import { withStartupReads } from './host/startupReads';
import './styles/app.css';
import './styles/dark.css';

// Until the settings arrive, follow the OS, so a dark desktop does not flash a white page.
document.documentElement.dataset.theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

const connected = connectHost().then(({ host, shell, connection }) => ({ host: withStartupReads(host), shell, connection }));
connected.catch(() => undefined); // startApp shows the error page
import('./startApp').then(({ startApp }) => startApp(connected), (error: unknown) => {
  const root = document.getElementById('root')!;
  root.textContent = `Quire could not load its code: ${String(error)}`;
  root.setAttribute('role', 'alert');
});
