import type { Attachment } from './api-client.js';
import { element, formatSize } from './dom.js';

/** A short type label for a file: its extension (`PDF`), else the kind of its content type. */
function badge(name: string, contentType: string): string {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1];
  return (extension ?? contentType.split('/')[0] ?? 'file').toUpperCase();
}

/** A file of a message: an image shows inline, anything else is a link with its name and size. */
export function attachmentView(attachment: Attachment): HTMLElement {
  const name =
    attachment.name ?? new URL(attachment.url, window.location.href).pathname.split('/').pop() ?? 'file';
  const size = formatSize(attachment.size);
  const link = element(
    'a',
    { href: attachment.url, target: '_blank', rel: 'noopener noreferrer', class: 'attachment' },
    attachment.contentType.startsWith('image/')
      ? element('img', { src: attachment.url, alt: name, loading: 'lazy' })
      : element(
          'span',
          { class: 'attachment-badge', 'aria-hidden': 'true' },
          badge(name, attachment.contentType),
        ),
    element('span', { class: 'attachment-name' }, name),
    size === '' ? undefined : element('span', { class: 'attachment-size' }, size),
  );
  return link;
}
