import { SaxesParser } from 'saxes';

/** One element of a parsed document: what feed assertions need, nothing more. */
export interface XmlElement {
  /** Namespace URI ('' when the element is in no namespace). */
  uri: string;
  /** Local name, without prefix. */
  local: string;
  /** Attribute values by qualified name as written (`term`, `xml:lang`, `xmlns:media`). */
  attributes: Record<string, string>;
  /** The element's own text and CDATA, concatenated in document order (not its children's). */
  text: string;
  children: XmlElement[];
}

/**
 * Parses a document with a strict, namespace-aware parser (saxes, `xmlns: true`)
 * into a tiny DOM. Throws on the first well-formedness or namespace error, so
 * a test that parses a feed also proves that every reader can.
 */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.name] = attribute.value;
    const element: XmlElement = { uri: tag.uri, local: tag.local, attributes, text: '', children: [] };
    const parent = stack.at(-1);
    if (parent === undefined) root = element;
    else parent.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const append = (value: string) => {
    const current = stack.at(-1);
    if (current !== undefined) current.text += value;
  };
  parser.on('text', append);
  parser.on('cdata', append);
  parser.write(xml).close();
  if (root === undefined) throw new Error('document has no root element');
  return root;
}

/** The direct children of `element` with this namespace URI and local name. */
export function childrenOf(element: XmlElement, uri: string, local: string): XmlElement[] {
  return element.children.filter((c) => c.uri === uri && c.local === local);
}

/** The only direct child with this name; throws when there is none or more than one. */
export function childOf(element: XmlElement, uri: string, local: string): XmlElement {
  const found = childrenOf(element, uri, local);
  if (found.length !== 1) {
    throw new Error(`expected one {${uri}}${local} in <${element.local}>, found ${found.length}`);
  }
  return found[0]!;
}

/** The text of each direct child with this name, in document order. */
export function textsOf(element: XmlElement, uri: string, local: string): string[] {
  return childrenOf(element, uri, local).map((c) => c.text);
}

/** Parses a document with the same strict parser; returns the first error, or undefined when it is well-formed. */
export function xmlError(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true });
  let error: string | undefined;
  parser.on('error', (e) => {
    error ??= e.message;
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= e instanceof Error ? e.message : String(e);
  }
  return error;
}
