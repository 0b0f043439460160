// AudioWorklet processor: the microphone, at whatever rate the AudioContext runs, as 24 kHz mono
// PCM16 chunks of `chunkMs` posted to the page (the format input_audio_buffer.append expects).
// Loaded with audioWorklet.addModule(); runs on the audio rendering thread.

class Pcm16CaptureProcessor extends AudioWorkletProcessor {
    constructor(options) {
        super();
        const { targetRate = 24000, chunkMs = 100 } = options.processorOptions || {};
        // `sampleRate` is the AudioWorkletGlobalScope's context rate (often 44.1 or 48 kHz).
        this.step = sampleRate / targetRate; // input samples per output sample
        this.position = 0; // where the next output sample falls, in input samples from `previous`
        this.previous = 0; // the last input sample of the previous block, for interpolation
        this.chunkSamples = Math.round((targetRate * chunkMs) / 1000);
        this.chunk = new Int16Array(this.chunkSamples);
        this.filled = 0;
    }

    process(inputs) {
        const channels = inputs[0];
        if (!channels || channels.length === 0) return true; // no input connected yet
        const frames = channels[0].length;
        const mono = new Float32Array(frames);
        for (const channel of channels) {
            for (let i = 0; i < frames; i++) mono[i] += channel[i] / channels.length;
        }
        // Linear interpolation between input samples; index -1 is `previous`. Voice needs no
        // more: the API's VAD and transcription work on speech, not hi-fi.
        while (this.position < frames) {
            const index = Math.floor(this.position);
            const fraction = this.position - index;
            const before = index === 0 ? this.previous : mono[index - 1];
            const after = mono[index];
            this.push(before + (after - before) * fraction);
            this.position += this.step;
        }
        this.position -= frames;
        this.previous = mono[frames - 1];
        return true;
    }

    push(sample) {
        const clamped = Math.max(-1, Math.min(1, sample));
        this.chunk[this.filled++] = clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff;
        if (this.filled === this.chunkSamples) {
            // Transferred, not copied: the posted chunk's buffer is detached here afterwards.
            this.port.postMessage(this.chunk, [this.chunk.buffer]);
            this.chunk = new Int16Array(this.chunkSamples);
            this.filled = 0;
        }
    }
}

registerProcessor('pcm16-capture', Pcm16CaptureProcessor);
