// Plays the assistant's voice (response.output_audio.delta chunks) back to back without gaps, and
// stops at once when the person starts speaking over it (barge-in).
import { REALTIME_SAMPLE_RATE, base64ToFloat32 } from './pcm16.js';

// Scheduling slightly ahead absorbs the jitter between WebSocket messages.
const LEAD_SECONDS = 0.05;

export class AudioPlayer {
    constructor(context) {
        this.context = context;
        this.nextStart = 0;
        this.scheduled = []; // { source, itemId, start, duration }, in start order
        this.heard = { itemId: null, seconds: 0 }; // chunks already played out, of the latest item
    }

    // Queues one chunk of base64 PCM16 at 24 kHz; the AudioBuffer's own rate lets the context
    // resample to whatever rate the device runs at.
    enqueue(itemId, base64) {
        const samples = base64ToFloat32(base64);
        if (samples.length === 0) return;
        const buffer = this.context.createBuffer(1, samples.length, REALTIME_SAMPLE_RATE);
        buffer.copyToChannel(samples, 0);
        const source = this.context.createBufferSource();
        source.buffer = buffer;
        source.connect(this.context.destination);
        const start = Math.max(this.nextStart, this.context.currentTime + LEAD_SECONDS);
        source.start(start);
        this.nextStart = start + buffer.duration;
        const entry = { source, itemId, start, duration: buffer.duration };
        this.scheduled.push(entry);
        source.onended = () => {
            this.scheduled = this.scheduled.filter((other) => other !== entry);
            if (this.heard.itemId !== itemId) this.heard = { itemId, seconds: 0 };
            this.heard.seconds += entry.duration;
        };
    }

    get playing() {
        return this.scheduled.length > 0;
    }

    // Stops everything queued and returns what had been heard of the item being played:
    // { itemId, playedMs }, or null when nothing was playing. The caller tells the API with
    // conversation.item.truncate, so the conversation holds only the words actually heard.
    stop() {
        if (!this.playing) return null;
        const now = this.context.currentTime;
        const current = this.scheduled[0].itemId;
        let playedSeconds = this.heard.itemId === current ? this.heard.seconds : 0;
        for (const entry of this.scheduled) {
            entry.source.onended = null;
            try {
                entry.source.stop();
            } catch {
                // already ended
            }
            if (entry.itemId === current) {
                playedSeconds += Math.min(Math.max(now - entry.start, 0), entry.duration);
            }
        }
        this.scheduled = [];
        this.heard = { itemId: null, seconds: 0 };
        this.nextStart = 0;
        return { itemId: current, playedMs: Math.floor(playedSeconds * 1000) };
    }
}
