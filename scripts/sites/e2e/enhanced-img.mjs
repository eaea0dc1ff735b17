// @sveltejs/enhanced-img 0.11 in a plain Vite + Svelte 5 app (SvelteKit 3 needs Node 22):
// `<enhanced:img>` makes AVIF, WebP and a fallback at 1x and 2x.
import { builtImages, runNode } from './common.mjs'

export const dependencies = {
  vite: '^7.1.0', svelte: '^5.0.0', '@sveltejs/vite-plugin-svelte': '^6.0.0', '@sveltejs/enhanced-img': '^0.11.0',
}

export function files(photos) {
  return {
    'vite.config.js': "import { svelte } from '@sveltejs/vite-plugin-svelte'\nimport { enhancedImages } from '@sveltejs/enhanced-img'\nexport default { plugins: [enhancedImages(), svelte()], build: { assetsInlineLimit: 0 } }\n",
    'index.html': '<!doctype html><html><body><div id="app"></div><script type="module" src="/main.js"></script></body></html>\n',
    'main.js': "import { mount } from 'svelte'\nimport App from './App.svelte'\nmount(App, { target: document.getElementById('app') })\n",
    'App.svelte': photos.map((photo) => `<enhanced:img src=${JSON.stringify(photo)} alt="" sizes="min(1280px, 100vw)" />`).join('\n'),
  }
}

export async function run(dir) {
  await runNode(dir, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'])
  return builtImages(dir, 'dist/assets')
}
