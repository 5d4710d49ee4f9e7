package dev.releaseconsole.services.governance;

/** Result of walking the hash chain: intact, or the first row that does not match. */
public record ChainCheck(boolean intact, long entriesChecked, Long firstBrokenId, String problem) {
}
