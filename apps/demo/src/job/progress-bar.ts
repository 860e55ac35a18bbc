/** A one-line progress bar on a terminal; plain occasional lines elsewhere (CI logs). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastPlain = -1;
  return (fraction: number, detail: string) => {
    const percent = Math.round(fraction * 100);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${detail}  `,
      );
      if (fraction >= 1) stream.write('\n');
    } else if (percent >= lastPlain + 25 || (fraction >= 1 && lastPlain < 100)) {
      lastPlain = percent;
      stream.write(`${label} ${percent}% ${detail}\n`);
    }
  };
}
