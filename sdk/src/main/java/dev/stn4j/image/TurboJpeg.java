package dev.stn4j.image;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.Locale;

/**
 * libjpeg-turbo's TurboJPEG C API (Debian's {@code libturbojpeg0}), called through JNA, for what
 * the JDK's JPEG reader cannot do: decode at 1/2, 1/4 or 1/8 scale in the DCT domain, so a
 * 12-megapixel photo costs its entropy decoding and little else (Pillow's {@code draft} does the
 * same). Optional at run time: {@link #system()} is null when the library is missing or refused,
 * and callers then use the JDK reader.
 *
 * <p>Only YCbCr and grey JPEGs are decoded here; anything else, and any error or warning, returns
 * null so the caller's JDK path decodes the file and gives its own verdict, keeping one set of
 * error messages and colour handling for damaged and unusual files.
 */
final class TurboJpeg {
  /** System property: {@code false} keeps every JPEG on the JDK reader. */
  static final String ENABLE_PROPERTY = "stn4j.jpeg.native";

  /** System property: the library file or name to load instead of the usual names. */
  static final String LIBRARY_PROPERTY = "stn4j.turbojpeg.library";

  // turbojpeg.h constants (stable since libjpeg-turbo 1.2).
  private static final int TJCS_YCBCR = 1;
  private static final int TJCS_GRAY = 2;
  private static final int TJPF_BGR = 1;
  private static final int TJPF_GRAY = 6;

  private static final List<String> FUNCTIONS =
      List.of("tjInitDecompress", "tjDecompressHeader3", "tjDecompress2", "tjDestroy");

  private static final Loaded SYSTEM = load();

  private final Api api;

  private TurboJpeg(Api api) {
    this.api = api;
  }

  /** The system's TurboJPEG, or null when it is missing or turned off. */
  static TurboJpeg system() {
    return SYSTEM.library;
  }

  /** One line for {@code stn info}: which JPEG decoder photos get, and why. */
  static String describe() {
    return SYSTEM.description;
  }

  /**
   * Decodes {@code size} bytes of JPEG at {@code buffer}, divided by {@code reduction} (1, 2, 4 or
   * 8) on each side, rounding up; null when this decoder does not take the file (see the class
   * comment). {@code header} is from {@link #header}.
   */
  BufferedImage decode(Pointer buffer, long size, Header header, int reduction) {
    if (header.colorspace != TJCS_YCBCR && header.colorspace != TJCS_GRAY) {
      return null;
    }
    int width = scaled(header.width, reduction);
    int height = scaled(header.height, reduction);
    boolean grey = header.colorspace == TJCS_GRAY;
    BufferedImage image =
        new BufferedImage(
            width, height, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    Pointer handle = api.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    try (Memory out = new Memory(pixels.length)) {
      int status =
          api.tjDecompress2(
              handle,
              buffer,
              new NativeLong(size),
              out,
              width,
              0,
              height,
              grey ? TJPF_GRAY : TJPF_BGR,
              0);
      // -1 also for warnings (e.g. a truncated file decoded grey-filled): the JDK path judges.
      if (status != 0) {
        return null;
      }
      out.read(0, pixels, 0, pixels.length);
      return image;
    } finally {
      api.tjDestroy(handle);
    }
  }

  /** The JPEG's size and colour space, or null when TurboJPEG cannot read its header. */
  Header header(Pointer buffer, long size) {
    Pointer handle = api.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    try {
      IntByReference width = new IntByReference();
      IntByReference height = new IntByReference();
      IntByReference subsampling = new IntByReference();
      IntByReference colorspace = new IntByReference();
      int status =
          api.tjDecompressHeader3(
              handle, buffer, new NativeLong(size), width, height, subsampling, colorspace);
      return status == 0
          ? new Header(width.getValue(), height.getValue(), colorspace.getValue())
          : null;
    } finally {
      api.tjDestroy(handle);
    }
  }

  /** A JPEG header's facts that decoding needs. */
  record Header(int width, int height, int colorspace) {}

  /**
   * A side of {@code pixels} decoded at 1/{@code reduction}: rounded up, as libjpeg scales (so
   * {@link ReducedJpeg#reduction} plans with the sizes this decoder gives).
   */
  static int scaled(int pixels, int reduction) {
    return (pixels + reduction - 1) / reduction;
  }

  private record Loaded(TurboJpeg library, String description) {}

  private static Loaded load() {
    if ("false".equalsIgnoreCase(System.getProperty(ENABLE_PROPERTY, "true").trim())) {
      return new Loaded(null, "JDK reader (" + ENABLE_PROPERTY + "=false)");
    }
    String asked = System.getProperty(LIBRARY_PROPERTY);
    List<String> names =
        asked != null
            ? List.of(asked)
            : System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                ? List.of("libturbojpeg.so.0", "turbojpeg")
                : List.of("turbojpeg");
    StringBuilder failures = new StringBuilder();
    for (String name : names) {
      try {
        NativeLibrary library = NativeLibrary.getInstance(name);
        // An old libturbojpeg (before 1.4) lacks these: found missing now, not in the middle of
        // a batch.
        for (String function : FUNCTIONS) {
          library.getFunction(function);
        }
        Api api = Native.load(name, Api.class);
        return new Loaded(
            new TurboJpeg(api), "libjpeg-turbo, DCT-scaled (" + library.getFile() + ")");
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        failures.append(failures.length() == 0 ? "" : "; ").append(name);
      }
    }
    return new Loaded(
        null,
        "JDK reader, subsampled (no libjpeg-turbo: "
            + failures
            + " not found; install libturbojpeg0 for faster photos)");
  }

  /** The functions of turbojpeg.h used here (libjpeg-turbo 2.0 and later). */
  interface Api extends Library {
    Pointer tjInitDecompress();

    int tjDecompressHeader3(
        Pointer handle,
        Pointer jpegBuf,
        NativeLong jpegSize,
        IntByReference width,
        IntByReference height,
        IntByReference jpegSubsamp,
        IntByReference jpegColorspace);

    int tjDecompress2(
        Pointer handle,
        Pointer jpegBuf,
        NativeLong jpegSize,
        Pointer dstBuf,
        int width,
        int pitch,
        int height,
        int pixelFormat,
        int flags);

    int tjDestroy(Pointer handle);
  }
}
