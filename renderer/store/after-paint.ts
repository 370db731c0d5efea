/**
 * Work that must happen soon but not before the user sees their keystroke: run after the next
 * frame has been produced, or after `fallbackMs` when no frame comes (a hidden window produces
 * none; Node has no frames at all).
 */
export function afterNextPaint(run: () => void, fallbackMs = 50): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    run();
  };
  const fallback = setTimeout(once, fallbackMs);
  if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') return;
  // rAF callbacks run before the frame is drawn; a message posted from one is handled after it.
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      once();
    };
    channel.port2.postMessage(null);
  });
}
