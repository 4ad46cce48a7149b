/**
 * A stand-in for what a host page shares with `shareStream()`: a code editor drawn on a <canvas>, with a cursor
 * that types, so the remote aux view visibly moves. Story support only; not part of the element.
 */
const CODE = [
  'export function mergeIntervals(list) {',
  '  const sorted = [...list].sort((a, b) => a[0] - b[0]);',
  '  const out = [];',
  '  for (const [start, end] of sorted) {',
  '    const last = out.at(-1);',
  '    if (last && start <= last[1]) {',
  '      last[1] = Math.max(last[1], end);',
  '    } else {',
  '      out.push([start, end]);',
  '    }',
  '  }',
  '  return out;',
  '}',
  '',
  '// mergeIntervals([[1, 3], [2, 6], [8, 10]])',
  '// -> [[1, 6], [8, 10]]',
];

const KEYWORDS = /\b(export|function|const|for|of|if|else|return)\b/gu;

/** Draws one line with crude syntax colours: keywords, comments, the rest. */
function drawLine(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, charWidth: number) {
  if (text.trimStart().startsWith('//')) {
    ctx.fillStyle = '#6a9955';
    ctx.fillText(text, x, y);
    return;
  }
  ctx.fillStyle = '#d4d4d4';
  ctx.fillText(text, x, y);
  ctx.fillStyle = '#569cd6';
  for (const match of text.matchAll(KEYWORDS)) ctx.fillText(match[0], x + match.index * charWidth, y);
}

/**
 * Animates `canvas` as an editor in which the code is typed out line by line, then starts over. Returns a stop
 * function. Paints on a timer rather than requestAnimationFrame, so a background tab keeps producing frames.
 */
export function startFakeEditor(canvas: HTMLCanvasElement, { width = 1280, height = 720 } = {}): () => void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const fontSize = Math.round(height / 26);
  const lineHeight = Math.round(fontSize * 1.45);
  const gutter = fontSize * 3.2;
  const top = fontSize * 3;
  const total = CODE.join('\n').length;
  const started = performance.now();

  const paint = () => {
    const elapsed = performance.now() - started;
    // ~25 characters a second, a pause at the end, then again.
    const typed = Math.floor(elapsed / 40) % (total + 60);
    ctx.fillStyle = '#1e1e1e';
    ctx.fillRect(0, 0, width, height);
    // Title bar with a tab.
    ctx.fillStyle = '#2d2d2d';
    ctx.fillRect(0, 0, width, fontSize * 1.9);
    ctx.fillStyle = '#1e1e1e';
    ctx.fillRect(fontSize * 0.6, fontSize * 0.4, fontSize * 9, fontSize * 1.5);
    ctx.font = `${Math.round(fontSize * 0.8)}px system-ui, sans-serif`;
    ctx.fillStyle = '#e0e0e0';
    ctx.fillText('intervals.js', fontSize * 1.2, fontSize * 1.45);
    ctx.fillStyle = '#9aa0a6';
    ctx.textAlign = 'right';
    ctx.fillText(new Date().toLocaleTimeString(), width - fontSize, fontSize * 1.3);
    ctx.textAlign = 'left';

    ctx.font = `${fontSize}px ui-monospace, Menlo, Consolas, monospace`;
    const charWidth = ctx.measureText('M').width;
    let left = typed;
    let cursor = { line: 0, column: 0 };
    CODE.forEach((line, index) => {
      const y = top + index * lineHeight;
      ctx.fillStyle = '#858585';
      ctx.textAlign = 'right';
      ctx.fillText(String(index + 1), gutter - fontSize * 0.8, y);
      ctx.textAlign = 'left';
      if (left <= 0) return;
      const shown = line.slice(0, left);
      drawLine(ctx, shown, gutter, y, charWidth);
      if (left <= line.length) cursor = { line: index, column: shown.length };
      else cursor = { line: index + 1, column: 0 };
      left -= line.length + 1;
    });
    // A blinking caret where the typing is.
    if (Math.floor(elapsed / 500) % 2 === 0) {
      ctx.fillStyle = '#aeafad';
      const caretLine = Math.min(cursor.line, CODE.length - 1);
      ctx.fillRect(
        gutter + cursor.column * charWidth,
        top + caretLine * lineHeight - fontSize * 0.9,
        Math.max(2, fontSize / 10),
        fontSize * 1.1,
      );
    }
    // Status bar.
    ctx.fillStyle = '#007acc';
    ctx.fillRect(0, height - fontSize * 1.5, width, fontSize * 1.5);
    ctx.fillStyle = '#fff';
    ctx.font = `${Math.round(fontSize * 0.7)}px system-ui, sans-serif`;
    ctx.fillText(
      `Ln ${cursor.line + 1}, Col ${cursor.column + 1}   ·   shared with shareStream(canvas.captureStream(30))`,
      fontSize,
      height - fontSize * 0.45,
    );
  };

  paint();
  const timer = setInterval(paint, 1000 / 30);
  return () => clearInterval(timer);
}
