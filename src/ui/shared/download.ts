/** Saves `text` as a file named `name`, through an `<a download>` on a Blob URL (never the network). */
export function download(name: string, type: string, text: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  // Not at once: the browser reads the Blob after click() returns (FileSaver.js waits 40 s).
  setTimeout(() => URL.revokeObjectURL(link.href), 40_000);
}
