/** Probot entry point (`probot run ./dist/index.js`): registers the handlers, nothing else. */
import { createApp } from './app/app.js';

export default createApp();
