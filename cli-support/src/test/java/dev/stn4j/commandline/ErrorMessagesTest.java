package dev.stn4j.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import org.junit.jupiter.api.Test;

class ErrorMessagesTest {
  @Test
  void fileSystemErrorsNameTheFileAndTheProblem() {
    assertEquals("/m: permission denied", ErrorMessages.describe(new AccessDeniedException("/m")));
    assertEquals(
        "out: already exists", ErrorMessages.describe(new FileAlreadyExistsException("out")));
    assertEquals(
        "/m: permission denied",
        ErrorMessages.describe(new UncheckedIOException(new AccessDeniedException("/m"))));
  }

  @Test
  void onlyTheFirstLineOfAMessageIsKept() {
    assertEquals(
        "x.png: truncated", ErrorMessages.describe(new IOException("x.png: truncated\n\tat ...")));
  }

  @Test
  void anExceptionWithoutAMessageIsAnInternalError() {
    assertEquals("internal error: java.io.IOException", ErrorMessages.describe(new IOException()));
    assertEquals(
        "internal error: java.lang.ArithmeticException: / by zero",
        ErrorMessages.describe(new ArithmeticException("/ by zero")));
  }
}
