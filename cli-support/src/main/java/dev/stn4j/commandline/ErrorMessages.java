package dev.stn4j.commandline;

import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine.ParameterException;

/**
 * One line saying what went wrong, for an exception that ends a command: the file and the problem
 * for file-system errors (whose own messages are only the path), the message of errors that name
 * their input, and {@code internal error: ...} for anything else, which is a bug of stn4j.
 */
final class ErrorMessages {
  private ErrorMessages() {}

  /** The line for {@code e}, without the command's name. */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return describe(u.getCause());
    }
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + ": already exists";
    }
    if (e instanceof NotDirectoryException d) {
      return d.getFile() + ": not a directory";
    }
    boolean namesItsInput =
        e instanceof StnException
            || e instanceof ParameterException
            || e instanceof IOException
            || e instanceof IllegalArgumentException
            || e instanceof IllegalStateException;
    String message = e.getMessage();
    if (namesItsInput && message != null && !message.isBlank()) {
      return message.lines().findFirst().orElse(message);
    }
    return "internal error: " + e;
  }
}
