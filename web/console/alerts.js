// New-emergency alerts for the console: a short beep (WebAudio, no sound file), the page title flashing until the
// operator looks, and a mute switch remembered on this computer (a preference, nothing personal).
"use strict";

window.ConsoleAlerts = (() => {
  const MUTE_KEY = "accessline.console.muted";
  const baseTitle = document.title;
  let audio = null;
  let flashing = null;
  let muted = false;
  try { muted = window.localStorage.getItem(MUTE_KEY) === "1"; } catch (_error) { muted = false; }

  function beep() {
    if (muted) return false;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      const now = audio.currentTime;
      for (const [start, pitch] of [[0, 880], [0.25, 660], [0.5, 880]]) {
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = pitch;
        gain.gain.setValueAtTime(0.2, now + start);
        gain.gain.exponentialRampToValueAtTime(0.001, now + start + 0.2);
        tone.connect(gain).connect(audio.destination);
        tone.start(now + start);
        tone.stop(now + start + 0.22);
      }
      window.consoleBeeps = (window.consoleBeeps || 0) + 1;  // read by the browser tests
      return true;
    } catch (_error) {
      return false;
    }
  }

  function titleAlert(text) {
    stopTitle();
    let on = false;
    document.title = `【${text}】${baseTitle}`;
    flashing = window.setInterval(() => {
      on = !on;
      document.title = on ? `★★ ${text} ★★` : `【${text}】${baseTitle}`;
    }, 1000);
  }

  function stopTitle() {
    if (flashing) window.clearInterval(flashing);
    flashing = null;
    document.title = baseTitle;
  }

  function setMuted(value) {
    muted = value;
    try { window.localStorage.setItem(MUTE_KEY, value ? "1" : "0"); } catch (_error) { /* private mode */ }
  }

  return { beep, titleAlert, stopTitle, setMuted, muted: () => muted, alerting: () => flashing !== null };
})();
