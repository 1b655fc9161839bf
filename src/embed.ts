// The script-tag entry: <script src=".../tabstream.js" defer></script>.
import { init, type Tabstream } from './api';
import { readScriptConfig } from './config';
import { defineElements } from './ui';

declare global {
  interface Window {
    tabstream?: Tabstream;
  }
}

if (window.tabstream) {
  console.warn('tabstream: the script is included twice; the second copy does nothing.');
} else {
  try {
    window.tabstream = init(readScriptConfig(document.currentScript));
    defineElements();
  } catch (error) {
    console.error('tabstream: could not start; the page is unaffected', error);
  }
}
