package io.romadr.site;

/** The replacement server: provider, the provider's id, the address DNS will point at, and its state. */
public record SiteServer(String provider, String id, String name, String address, String state) {
}
