// PCM16 audio as the Realtime API carries it: 16-bit signed little-endian mono samples, base64
// encoded inside JSON events (input_audio_buffer.append, response.output_audio.delta).

export const REALTIME_SAMPLE_RATE = 24000;

// Bytes -> base64 in slices: String.fromCharCode(...bytes) on a whole second of audio would
// exceed the engine's argument limit.
export function bytesToBase64(bytes) {
    let binary = '';
    const slice = 0x8000;
    for (let start = 0; start < bytes.length; start += slice) {
        binary += String.fromCharCode.apply(null, bytes.subarray(start, start + slice));
    }
    return btoa(binary);
}

export function int16ToBase64(samples) {
    const bytes = new Uint8Array(samples.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i], true);
    return bytesToBase64(bytes);
}

// base64 PCM16 -> Float32 samples in [-1, 1) for an AudioBuffer.
export function base64ToFloat32(base64) {
    const binary = atob(base64);
    const count = binary.length >> 1;
    const samples = new Float32Array(count);
    for (let i = 0; i < count; i++) {
        const low = binary.charCodeAt(i * 2);
        const high = binary.charCodeAt(i * 2 + 1);
        let value = (high << 8) | low;
        if (value >= 0x8000) value -= 0x10000;
        samples[i] = value / 0x8000;
    }
    return samples;
}
