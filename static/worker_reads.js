// For the worker's wasm (worker/src/files.rs, ByteStream): loaded before its glue, by
// worker_boot.js here and by the single-file build's worker script.

// Fills `buffer` with the next `len` bytes of a byte stream's reader (fewer at its end), for
// the worker's ByteStream: the browser hands over about 100 KB a read, and a loop here costs
// less than one in wasm, whose every read crosses into JavaScript and back several times.
// Resolves to [buffer, bytes] (each read takes the buffer and gives it back).
self.fillFrom = async (reader, buffer, len) => {
  let filled = 0;
  while (filled < len) {
    const { done, value } = await reader.read(new Uint8Array(buffer, filled, len - filled));
    if (!value) throw new Error("the browser's read gave no bytes back");
    buffer = value.buffer;
    filled += value.byteLength;
    if (done) break;
  }
  return [buffer, filled];
};
