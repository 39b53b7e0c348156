import { isRenderedTextNode, type RenderedElementNode } from '@hubspot/ui-extensions/testing';

type Node = { childNodes?: readonly unknown[]; text?: string | null };

/** All text below a rendered node (the renderer's `.text` holds only direct text children). */
export function allText(node: RenderedElementNode | Node): string {
  const parts: string[] = [];
  const walk = (n: Node) => {
    if (isRenderedTextNode(n as never)) return void parts.push(String(n.text));
    for (const child of n.childNodes ?? []) walk(child as Node);
  };
  walk(node as Node);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
