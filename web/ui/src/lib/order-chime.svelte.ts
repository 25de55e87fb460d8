const MUTED_KEY = 'bazaar.orderChime.muted';

/**
 * A short two-note chime for a new order, synthesised with the Web Audio API (no audio files). Browsers
 * only let a page start audio after a user gesture, so the audio context is created on the first click or
 * key press after `armOnFirstGesture`; until then `play` stays silent. The muted choice is remembered.
 */
export class OrderChime {
  muted = $state(readMuted());
  /** Whether the browser has allowed sound yet (after the first gesture). */
  ready = $state(false);
  /** How many chimes were played; lets the UI (and tests) see that the alert fired. */
  played = $state(0);
  #context: AudioContext | null = null;

  /** Listens for the first user gesture to unlock audio; returns the clean-up. */
  armOnFirstGesture(): () => void {
    const unlock = () => {
      this.#unlock();
      remove();
    };
    const remove = () => {
      removeEventListener('pointerdown', unlock, true);
      removeEventListener('keydown', unlock, true);
    };
    addEventListener('pointerdown', unlock, true);
    addEventListener('keydown', unlock, true);
    return remove;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    try {
      localStorage.setItem(MUTED_KEY, muted ? '1' : '0');
    } catch {
      // Storage unavailable (private mode): the choice lasts for this page.
    }
    // Turning sound on is itself a gesture, and a good moment to let the listener hear what it sounds like.
    if (!muted) {
      this.#unlock();
      this.play();
    }
  }

  play(): void {
    if (this.muted) return;
    const context = this.#context;
    if (!context || context.state !== 'running') return;
    const start = context.currentTime + 0.01;
    // E6 then A6: bright enough to notice over other tabs, short enough not to annoy.
    this.#note(context, 1318.5, start, 0.14);
    this.#note(context, 1760, start + 0.13, 0.22);
    this.played += 1;
  }

  close(): void {
    void this.#context?.close();
    this.#context = null;
    this.ready = false;
  }

  #unlock(): void {
    try {
      this.#context ??= new AudioContext();
      void this.#context.resume().then(() => {
        this.ready = this.#context?.state === 'running';
      });
    } catch (error) {
      console.warn('Sound is not available', error);
    }
  }

  #note(context: AudioContext, frequency: number, at: number, length: number): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(frequency, at);
    // A quick attack and an exponential decay sound like a bell rather than a beep.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + length + 0.02);
  }
}

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    return false;
  }
}
