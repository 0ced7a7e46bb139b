package io.romadr.activities.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges sources of shipped log lines, each already in time order, into one in time order. A line starts with its
 * fixed-width timestamp ({@link io.romadr.activities.docker.ContainerLogLines#TIMESTAMP}), so lines compare by their
 * first {@link #STAMP_LENGTH} characters; lines of the same instant keep the order of their sources.
 */
final class LogLineMerge implements Iterator<String> {
    static final int STAMP_LENGTH = "2026-01-01T00:00:00.000000000Z".length();

    private record Head(String line, int source) {
    }

    private final List<BufferedReader> sources;
    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
        int c = stamp(a.line).compareTo(stamp(b.line));
        return c != 0 ? c : Integer.compare(a.source, b.source);
    });

    LogLineMerge(List<BufferedReader> sources) {
        this.sources = new ArrayList<>(sources);
        for (int i = 0; i < this.sources.size(); i++) {
            advance(i);
        }
    }

    static String stamp(String line) {
        return line.length() < STAMP_LENGTH ? line : line.substring(0, STAMP_LENGTH);
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public String next() {
        Head head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        advance(head.source);
        return head.line;
    }

    private void advance(int source) {
        try {
            String line = sources.get(source).readLine();
            if (line != null) {
                heads.add(new Head(line, source));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
