// Registers Folio's service worker (sw.js) once the page has loaded, and offers a new build
// when one is installed and waiting: `window.folioUpdate` (a function that activates it) and
// a `folio-update` event on window, which the shell's update notice (ui::shell::UpdateNotice)
// shows. A page the worker already controlled reloads when another worker takes over (the
// user accepted the update, here or in another tab), so that it never mixes two builds' files.
(() => {
  if (!('serviceWorker' in navigator)) return;
  const script = new URL('sw.js', document.currentScript.src);
  const controlled = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!controlled || reloading) return;
    reloading = true;
    location.reload();
  });

  const offer = (worker) => {
    if (!navigator.serviceWorker.controller) return; // the first install: nothing to replace
    window.folioUpdate = () => worker.postMessage({ type: 'skip-waiting' });
    window.dispatchEvent(new Event('folio-update'));
  };
  const follow = (worker) => {
    if (!worker) return;
    if (worker.state === 'installed') offer(worker);
    else worker.addEventListener('statechange', () => worker.state === 'installed' && offer(worker));
  };

  const register = async () => {
    try {
      const registration = await navigator.serviceWorker.register(script, { scope: new URL('./', script).pathname });
      follow(registration.waiting);
      follow(registration.installing);
      registration.addEventListener('updatefound', () => follow(registration.installing));
      // A tab left open looks for a new build when it is shown again.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') registration.update().catch(() => {});
      });
    } catch (e) {
      // No worker (blocked, private mode…): Folio works as before, only not offline.
      console.warn(`Folio works online only in this browser: ${e}`);
    }
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
})();
