// The microphone as a stream of base64 PCM16 chunks (24 kHz mono, ~100 ms each), ready to send
// as input_audio_buffer.append. The resampling happens in pcm16_capture_worklet.js.
import { REALTIME_SAMPLE_RATE, int16ToBase64 } from './pcm16.js';

const CHUNK_MS = 100;
const WORKLET_URL = new URL('./pcm16_capture_worklet.js', import.meta.url);

export class Microphone {
    constructor(context) {
        this.context = context;
        this.stream = null;
        this.source = null;
        this.node = null;
        this.workletLoaded = null;
    }

    get on() {
        return this.stream !== null;
    }

    // Asks for the microphone (the browser may prompt) and calls onChunk(base64) per chunk.
    // Throws when the browser has no microphone access (DOMException NotAllowedError, ...).
    async start(onChunk) {
        if (this.on) return;
        if (!navigator.mediaDevices?.getUserMedia) {
            throw new Error('browsers allow the microphone only on https:// pages or localhost');
        }
        this.workletLoaded ??= this.context.audioWorklet.addModule(WORKLET_URL);
        const stream = await navigator.mediaDevices.getUserMedia({
            audio: {
                channelCount: 1,
                echoCancellation: true, // the assistant's voice must not trigger the API's VAD
                noiseSuppression: true,
                autoGainControl: true,
            },
        });
        try {
            await this.workletLoaded;
        } catch (error) {
            this.workletLoaded = null;
            stream.getTracks().forEach((track) => track.stop());
            throw error;
        }
        this.stream = stream;
        this.source = this.context.createMediaStreamSource(stream);
        // No outputs: the node is a sink, so the microphone is never played back to the speakers.
        this.node = new AudioWorkletNode(this.context, 'pcm16-capture', {
            numberOfInputs: 1,
            numberOfOutputs: 0,
            processorOptions: { targetRate: REALTIME_SAMPLE_RATE, chunkMs: CHUNK_MS },
        });
        this.node.port.onmessage = (message) => onChunk(int16ToBase64(message.data));
        this.source.connect(this.node);
    }

    stop() {
        if (!this.on) return;
        this.node.port.onmessage = null;
        this.source.disconnect();
        this.node.disconnect();
        this.stream.getTracks().forEach((track) => track.stop());
        this.stream = this.source = this.node = null;
    }
}
