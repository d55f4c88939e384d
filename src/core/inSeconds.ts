/** A span in ms as the engine's messages say it, to a tenth: `1.5 s`, `300 s`. */
export const inSeconds = (ms: number) => `${Math.round(ms / 100) / 10} s`
