package io.romadr.activities.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that refuses names stored as bytes that are not UTF-8. The library decodes header names leniently
 * (an invalid byte becomes '?'), so extracting would silently write a file of another name; this reader keeps each
 * header record and decodes its name, prefix and link name fields strictly. A name that came from a PAX record is
 * decoded by the library as UTF-8 (an invalid byte becomes U+FFFD, refused by {@link FileSystemLimits}).
 */
final class NameCheckingTarInputStream extends TarArchiveInputStream {
    private byte[] lastRecord;

    NameCheckingTarInputStream(InputStream in) {
        super(in, SafeExtractor.NAME_ENCODING);
    }

    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        lastRecord = record == null ? null : record.clone();
        return record;
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        TarArchiveEntry entry = super.getNextEntry();
        if (entry != null && lastRecord != null && lastRecord.length >= 512) {
            boolean ustar = lastRecord[257] == 'u' && lastRecord[258] == 's' && lastRecord[259] == 't'
                    && lastRecord[260] == 'a' && lastRecord[261] == 'r' && lastRecord[262] == 0;
            // a '?' in the decoded name is where the library replaced bytes it could not decode
            if (entry.getName().indexOf('?') >= 0
                    && (!utf8(lastRecord, 0, 100) || ustar && !utf8(lastRecord, 345, 155))) {
                throw new UnsafeArchiveException(entry.getName(), "name is not valid UTF-8");
            }
            String link = entry.getLinkName();
            if (link != null && link.indexOf('?') >= 0 && !utf8(lastRecord, 157, 100)) {
                throw new UnsafeArchiveException(entry.getName(), "link target is not valid UTF-8");
            }
        }
        return entry;
    }

    /** Whether the NUL-terminated field at {@code offset} is valid UTF-8. */
    private static boolean utf8(byte[] record, int offset, int length) {
        int end = offset;
        while (end < offset + length && record[end] != 0) {
            end++;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(record, offset, end - offset));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
