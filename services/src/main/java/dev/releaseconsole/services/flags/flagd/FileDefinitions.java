package dev.releaseconsole.services.flags.flagd;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A flagd definitions file on disk (what flagd's and the OpenFeature providers' FILE mode watch). Writes are atomic:
 * the new text goes to a temporary file beside the target, is flushed to disk, and is moved over the target, so a
 * reader sees the old or the new document, never half of one. Just before the move the file is hashed again; if
 * somebody changed it since it was read, the edit is re-applied to their version instead of overwriting it. (The
 * window between that check and the move is a few microseconds; editors that do not lock cannot be excluded.)
 */
public final class FileDefinitions implements DefinitionsSource {
    static final int MAX_ATTEMPTS = 5;

    private final Path path;
    private volatile Runnable beforeMove = () -> { };

    public FileDefinitions(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    @Override
    public String kind() {
        return "flagd-file";
    }

    @Override
    public String describe() {
        return "file " + path;
    }

    public Path path() {
        return path;
    }

    @Override
    public String read() throws ActionException {
        return decode(readBytes(target()));
    }

    @Override
    public String update(DocumentEdit edit) throws ActionException {
        Path target = target();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            byte[] before = readBytes(target);
            String text = decode(before);
            FlagdDocument.Edit result = edit.apply(FlagdDocument.parse(text, describe()));
            if (result.changesNothing(text)) {
                return "nothing written to " + path + ": " + result.change();
            }
            byte[] after = result.text().getBytes(StandardCharsets.UTF_8);
            Path temp = writeTemp(target, after);
            try {
                beforeMove.run();
                if (!MessageDigest.isEqual(sha256(before), sha256(readBytes(target)))) {
                    continue; // changed under us: re-read and re-apply to the new version
                }
                move(temp, target);
                return "wrote " + path + " (" + result.change() + "; sha256 " + shortHash(before) + " -> "
                        + shortHash(after) + ")";
            } finally {
                deleteQuietly(temp);
            }
        }
        throw new ActionException(Reason.CONFLICT, path + " changed " + MAX_ATTEMPTS
                + " times while the console was writing it; nothing was written. Try again when it is quiet");
    }

    /** For tests: runs after the new text is on disk beside the target and before the concurrent-edit check. */
    void beforeMove(Runnable hook) {
        this.beforeMove = hook;
    }

    /** The file itself, not a symlink to it (a mounted ConfigMap or a GitOps checkout may link it). */
    private Path target() throws ActionException {
        try {
            return path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ActionException(Reason.NOT_FOUND, "no flagd definitions file at " + path
                    + "; check the provider's path in the configuration");
        } catch (IOException e) {
            throw io("could not resolve", e);
        }
    }

    private byte[] readBytes(Path target) throws ActionException {
        try {
            long size = Files.size(target);
            if (size > FlagdDocument.MAX_CHARS) {
                throw new ActionException(Reason.INVALID, path + " is " + size + " bytes, more than the "
                        + FlagdDocument.MAX_CHARS + " the console reads; edit it by hand");
            }
            return Files.readAllBytes(target);
        } catch (IOException e) {
            throw io("could not read", e);
        }
    }

    private String decode(byte[] bytes) throws ActionException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ActionException(Reason.INVALID, path + " is not UTF-8 text; nothing was changed");
        }
    }

    private Path writeTemp(Path target, byte[] content) throws ActionException {
        Path dir = target.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            PosixFileAttributeView perms = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (perms != null) {
                Files.setPosixFilePermissions(temp, perms.readAttributes().permissions());
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            return temp;
        } catch (IOException e) {
            if (temp != null) {
                deleteQuietly(temp);
            }
            throw io("could not write a temporary file beside", e);
        }
    }

    /** After a successful move the temp file is gone; after a failure the original is untouched either way. */
    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a stray hidden temp file beside the definitions is all that is left
        }
    }

    private void move(Path temp, Path target) throws ActionException {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true); // the rename itself on disk
            } catch (IOException ignored) {
                // not every file system lets a directory be opened; the rename is done either way
            }
        } catch (IOException e) {
            throw io("could not replace", e);
        }
    }

    private ActionException io(String what, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new ActionException(Reason.DENIED, "permission denied: " + what + " " + path
                    + "; the console's user needs read and write access to the file and its directory");
        }
        if (e instanceof NoSuchFileException) {
            return new ActionException(Reason.NOT_FOUND, "no flagd definitions file at " + path);
        }
        return new ActionException(Reason.UNAVAILABLE, what + " " + path + ": " + e.getMessage(), e);
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String shortHash(byte[] content) {
        return HexFormat.of().formatHex(sha256(content)).substring(0, 12);
    }
}
