/** @file Looking up the page's elements by id, typed, with an error naming the id when the markup lacks it. */

/**
 * The element with this id, checked to be of the given class.
 * @example const canvas = byId('heat-map', HTMLCanvasElement);
 */
export function byId<T extends Element>(id: string, type: abstract new (...args: never[]) => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`playground: no ${type.name} with id "${id}" in index.html`);
  return element;
}

/**
 * A form control by name, checked to be of the given class.
 * @example const lr = field(form, 'lr', HTMLInputElement);
 */
export function field<T extends Element>(
  form: HTMLFormElement,
  name: string,
  type: abstract new (...args: never[]) => T,
): T {
  const element = form.elements.namedItem(name);
  if (!(element instanceof type)) throw new Error(`playground: no ${type.name} named "${name}" in form #${form.id}`);
  return element;
}

/**
 * Offers bytes to the user as a file download.
 * @example downloadBytes('model.safetensors', bytes, 'application/octet-stream');
 */
export function downloadBytes(name: string, bytes: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
