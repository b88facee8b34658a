// Read-aloud (POST /api/voice/tts) and speech input (browser recording -> 16 kHz WAV -> POST /api/voice/turn).
"use strict";

window.AccessLineVoice = (() => {
  const $ = (id) => document.getElementById(id);
  const chat = () => window.AccessLineChat;
  const TTS_MAX_CHARS = 1000;
  const TARGET_RATE = 16000;
  const MAX_SECONDS = 60;
  const tts = { enabled: false, rate: 175, queue: [], playing: false, warned: false };
  const rec = { stream: null, context: null, processor: null, chunks: [], timer: null };

  // -- read-aloud --------------------------------------------------------------------------------------------
  function setEnabled(on) {
    tts.enabled = on;
    if (!on) {
      tts.queue.length = 0;
      $("player").pause();
    }
  }

  function setRate(rate) {
    tts.rate = rate;
  }

  /** Queue a text to be spoken when read-aloud is on. */
  function speak(text) {
    if (!tts.enabled || !text) return;
    tts.queue.push(text);
    if (!tts.playing) playQueue();
  }

  /** Speak one text at once (a message the resident chose with Enter), replacing what is playing. */
  function speakNow(text) {
    tts.queue.length = 0;
    $("player").pause();
    tts.queue.push(text);
    if (!tts.playing) playQueue();
  }

  async function playQueue() {
    tts.playing = true;
    while (tts.queue.length) {
      const audio = await fetchSpeech(tts.queue.shift());
      if (audio) await play(audio);
    }
    tts.playing = false;
  }

  async function fetchSpeech(text) {
    const player = $("player");
    let response;
    try {
      response = await fetch("/api/voice/tts", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: text.slice(0, TTS_MAX_CHARS), rate: tts.rate, format: "wav" }),
      });
    } catch (_error) {
      return null;
    }
    player.dataset.status = String(response.status);
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      if (!tts.warned) {
        tts.warned = true;
        chat().notice(`${data.detail || "语音播报暂时不可用。"}您可以继续看文字，或打开读屏软件。`);
      }
      return null;
    }
    const blob = await response.blob();
    player.dataset.type = blob.type;
    player.dataset.bytes = String(blob.size);
    return blob;
  }

  function play(blob) {
    const player = $("player");
    const url = URL.createObjectURL(blob);
    return new Promise((resolve) => {
      const done = () => {
        player.removeEventListener("ended", done);
        player.removeEventListener("error", done);
        player.removeEventListener("pause", done);
        URL.revokeObjectURL(url);
        resolve();
      };
      player.addEventListener("ended", done);
      player.addEventListener("error", done);
      player.addEventListener("pause", done);
      player.src = url;
      player.play().catch(done); // a browser that blocks autoplay: the text is still on screen
    });
  }

  // -- speech input ------------------------------------------------------------------------------------------
  function setRecordingUi(on) {
    $("voice-label").textContent = on ? "停止录音并发送" : "说话";
    $("voice").classList.toggle("recording", on);
  }

  function unavailable(reason) {
    chat().notice(`${reason}请在下面的输入框里打字。`);
    $("text").focus();
  }

  async function startRecording() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.AudioContext) {
      unavailable("这个浏览器或网址不能录音。");
      return;
    }
    try {
      rec.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
    } catch (error) {
      const denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      unavailable(denied ? "没有得到使用麦克风的允许。" : "没有找到能用的麦克风。");
      return;
    }
    rec.context = new AudioContext();
    const source = rec.context.createMediaStreamSource(rec.stream);
    rec.processor = rec.context.createScriptProcessor(4096, 1, 1);
    rec.chunks = [];
    rec.processor.onaudioprocess = (event) => rec.chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
    source.connect(rec.processor);
    rec.processor.connect(rec.context.destination);
    rec.timer = setTimeout(() => stopRecording(true), MAX_SECONDS * 1000);
    setRecordingUi(true);
    chat().status("正在录音。说完请再按一次“停止录音并发送”。按 Esc 键取消。");
  }

  function stopRecording(sendIt) {
    if (!rec.context) return;
    clearTimeout(rec.timer);
    rec.processor.disconnect();
    rec.stream.getTracks().forEach((track) => track.stop());
    const rate = rec.context.sampleRate;
    rec.context.close();
    rec.context = null;
    setRecordingUi(false);
    if (!sendIt) {
      chat().status("录音已取消。");
      return;
    }
    sendAudio(toWav(concat(rec.chunks), rate));
  }

  function cancelRecording() {
    stopRecording(false);
  }

  function concat(chunks) {
    const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }

  function downsample(samples, from, to) {
    if (from === to) return samples;
    const ratio = from / to;
    const out = new Float32Array(Math.floor(samples.length / ratio));
    for (let i = 0; i < out.length; i++) {
      const start = Math.floor(i * ratio);
      const end = Math.min(samples.length, Math.floor((i + 1) * ratio)) || start + 1;
      let sum = 0;
      for (let j = start; j < end; j++) sum += samples[j];
      out[i] = sum / Math.max(1, end - start); // box average: a simple low-pass before decimating
    }
    return out;
  }

  /** Samples (-1..1) at any rate -> a 16 kHz 16-bit mono PCM WAV blob, what the speech engines expect. */
  function toWav(samples, rate) {
    return encodeWav(downsample(samples, rate, TARGET_RATE), TARGET_RATE);
  }

  /** 16-bit mono PCM WAV. */
  function encodeWav(samples, rate) {
    const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
    const text = (offset, s) => [...s].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
    text(0, "RIFF");
    view.setUint32(4, 36 + samples.length * 2, true);
    text(8, "WAVEfmt ");
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, rate, true);
    view.setUint32(28, rate * 2, true);
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    text(36, "data");
    view.setUint32(40, samples.length * 2, true);
    samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
    return new Blob([view.buffer], { type: "audio/wav" });
  }

  /** Post a recording to /api/voice/turn and show what was heard and the answer. */
  async function sendAudio(wav) {
    const form = new FormData();
    form.append("sender_id", chat().sender);
    form.append("format", "wav");
    form.append("file", wav, "speech.wav");
    chat().status("正在听您说的话，请稍等。");
    const log = $("log");
    log.setAttribute("aria-busy", "true");
    let response;
    try {
      response = await fetch("/api/voice/turn", { method: "POST", body: form, headers: chat().conversationHeaders() });
    } catch (_error) {
      response = null;
    }
    const data = response ? await response.json().catch(() => ({})) : {};
    if (response) chat().keepKey(response, data);
    chat().status("");
    log.setAttribute("aria-busy", "false");
    if (!response) {
      unavailable("网络连接不上，语音没有发出去。");
      return;
    }
    if (response.status === 503 && data.down) {
      unavailable(data.detail); // the assistant itself is down, not only speech input
      return;
    }
    if (response.status === 404 || response.status === 503) {
      unavailable("语音输入暂时不能用。");
      return;
    }
    if (!response.ok) {
      unavailable(response.status === 413 ? "这段录音太长了。" : "这段录音没有听清。");
      return;
    }
    if (!data.transcript) {
      chat().notice("没有听清您说的话，请再说一次，或者打字。");
      return;
    }
    chat().retireQuickReplies();
    chat().addMessage("resident", data.transcript);
    chat().showReply(data);
  }

  $("voice").addEventListener("click", () => (rec.context ? stopRecording(true) : startRecording()));

  return { setEnabled, setRate, speak, speakNow, cancelRecording, sendAudio, toWav };
})();
