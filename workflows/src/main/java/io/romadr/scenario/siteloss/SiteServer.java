package io.romadr.scenario.siteloss;

/**
 * The replacement server: provider, the provider's id, the address DNS will point at, its state, and which attempt of
 * the activity answered (2 or more: an earlier one failed or died with its worker).
 */
public record SiteServer(String provider, String id, String name, String address, String state, int attempt) {
}
