import { withBase } from 'vitepress'

/** An internal site link as the built site serves it (cleanUrls is off: pages end in .html). */
export function href(link: string): string {
  const [path, hash] = link.split('#')
  const p = path === '' || path!.endsWith('/') || path!.endsWith('.html') ? path! : `${path}.html`
  return withBase(p) + (hash ? `#${hash}` : '')
}
