/**
 * A copy of `text` that holds no reference to the string it was sliced from. V8 makes a slice of
 * 13 or more characters a view into its parent, so a message's data sliced from a decoded 64 KiB
 * stdout chunk keeps the whole chunk alive for as long as the data is kept. Something kept beyond
 * the turn (the latest message of a topic) is copied once per turn with this: a concatenation
 * that slicing must flatten into a fresh string of the data's own length.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}
