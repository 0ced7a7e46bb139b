package io.romadr.activities.registry;

/**
 * An image reference as a container or a plan's template names it ({@code registry:5000/team/roma:1.2}), split into
 * the repository a plan's {@code backup.images} names ({@code team/roma}: without the registry host) and its tag
 * ({@code latest} when none is given).
 */
public record ImageName(String repository, String tag) {
    public static ImageName parse(String image) {
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        String tag = colon > slash ? ref.substring(colon + 1) : "latest";
        String path = colon > slash ? ref.substring(0, colon) : ref;
        int first = path.indexOf('/');
        return new ImageName(first < 0 ? path : path.substring(first + 1), tag);
    }

    /** {@code image} without its tag ({@code registry:5000/team/roma}), as the engine tags an image. */
    public static String withoutTag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }
}
