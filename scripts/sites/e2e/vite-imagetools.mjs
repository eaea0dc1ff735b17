// vite-imagetools 9: an import with a query makes the images at build time.
import { builtImages, runNode } from './common.mjs'

export const dependencies = { vite: '^7.1.0', 'vite-imagetools': '^9.0.3' }

export function files(photos) {
  const imports = photos.map((photo, i) => `import p${i} from ${JSON.stringify(`${photo}?w=320;640&format=avif;webp;jpg&as=srcset`)}`)
  return {
    'vite.config.js': "import { imagetools } from 'vite-imagetools'\nexport default { plugins: [imagetools()], build: { assetsInlineLimit: 0 } }\n",
    'index.html': '<!doctype html><html><body><script type="module" src="/main.js"></script></body></html>\n',
    'main.js': `${imports.join('\n')}\ndocument.body.textContent = [${photos.map((_, i) => `p${i}`).join(', ')}].join('\\n')\n`,
  }
}

export async function run(dir) {
  await runNode(dir, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'])
  return builtImages(dir, 'dist/assets')
}
