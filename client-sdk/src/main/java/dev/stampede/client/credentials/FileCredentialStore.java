package dev.stampede.client.credentials;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * A {@link CredentialStore} in one file, for a real device.
 *
 * <p>Every save writes a temporary file in the same directory — created owner-only ({@code rw-------}) from its
 * first byte, so the ticket is never readable by others, not even for a moment — forces it to disk, renames it over
 * the old file atomically and forces the directory: a crash at any point leaves either the old or the new
 * credentials, never a torn file. Missing parent directories are created owner-only ({@code rwx------}). A file
 * found with wider permissions is narrowed to owner-only on load. A file that cannot be parsed counts as empty
 * (the client logs in again) and is left as it is until the next save replaces it.
 *
 * <p>Thread-safe within one process; two processes must not share a file.
 */
public final class FileCredentialStore implements CredentialStore {
  private static final System.Logger LOG = System.getLogger(FileCredentialStore.class.getName());
  private static final String FORMAT = "1";
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final Path file;

  FileCredentialStore(Path file) {
    Objects.requireNonNull(file, "file");
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("file: " + file + " (expected: a file path, not a directory)");
    }
    this.file = file.toAbsolutePath().normalize();
  }

  /** The file. */
  public Path path() {
    return file;
  }

  @Override
  public synchronized Optional<ResumeCredentials> load() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    narrowPermissions();
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
      if (!FORMAT.equals(p.getProperty("format"))) {
        throw new IllegalArgumentException("format: " + p.getProperty("format") + " (expected: " + FORMAT + ")");
      }
      String expires = p.getProperty("ticket_expires_at", "");
      return Optional.of(new ResumeCredentials(
          p.getProperty("username", ""),
          required(p, "user_id"),
          required(p, "device_id"),
          p.getProperty("session_id", ""),
          required(p, "resume_ticket"),
          expires.isEmpty() ? null : Instant.parse(expires)));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      // Never echo the content: it may hold a ticket.
      LOG.log(System.Logger.Level.WARNING, "credential file " + file + " is unreadable (" + e.getClass().getSimpleName()
          + "); ignoring it, the next save replaces it");
      return Optional.empty();
    }
  }

  @Override
  public synchronized void save(ResumeCredentials credentials) throws IOException {
    Objects.requireNonNull(credentials, "credentials");
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    p.setProperty("username", credentials.username());
    p.setProperty("user_id", credentials.userId());
    p.setProperty("device_id", credentials.deviceId());
    p.setProperty("session_id", credentials.sessionId());
    p.setProperty("resume_ticket", credentials.resumeTicket());
    p.setProperty("ticket_expires_at",
        credentials.ticketExpiresAt() == null ? "" : credentials.ticketExpiresAt().toString());
    StringWriter text = new StringWriter();
    p.store(text, "Stampede resume credentials. Keep private: the ticket lets this device resume its session.");
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

    Path dir = file.getParent();
    createOwnerOnlyDirectories(dir);
    Path temp = POSIX
        ? Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_FILE))
        : Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      if (!POSIX) {
        restrictToOwner(temp);
      }
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("file system of " + file + " cannot rename atomically; refusing a non-atomic save", e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    forceDirectory(dir);
  }

  @Override
  public synchronized void clear() throws IOException {
    if (Files.deleteIfExists(file)) {
      forceDirectory(file.getParent());
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException(key + ": missing");
    }
    return value;
  }

  private void narrowPermissions() {
    if (!POSIX) {
      return;
    }
    try {
      Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
      if (!OWNER_FILE.containsAll(current)) {
        Files.setPosixFilePermissions(file, OWNER_FILE);
        LOG.log(System.Logger.Level.WARNING, "credential file " + file + " was readable by others ("
            + PosixFilePermissions.toString(current) + "); narrowed to rw-------");
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not check the permissions of " + file, e);
    }
  }

  private static void createOwnerOnlyDirectories(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    createOwnerOnlyDirectories(dir.getParent());
    FileAttribute<?>[] attributes = POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
        : new FileAttribute<?>[0];
    try {
      Files.createDirectory(dir, attributes);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  private static void restrictToOwner(Path path) {
    java.io.File f = path.toFile();
    boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
        & f.setWritable(false, false) & f.setWritable(true, true);
    if (!ok) {
      LOG.log(System.Logger.Level.WARNING, "could not restrict " + path + " to its owner");
    }
  }

  private static void forceDirectory(Path dir) {
    if (dir == null || !POSIX) {
      return;
    }
    // Makes the rename itself durable; best effort, some file systems refuse to open a directory.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "could not sync directory " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "FileCredentialStore{" + file + "}";
  }
}
