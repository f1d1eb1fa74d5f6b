// Entry point: styles, then the app on #app.
import './styles.css';
import { App } from './app.ts';

const mount = document.getElementById('app');
if (mount) new App(mount).start();
