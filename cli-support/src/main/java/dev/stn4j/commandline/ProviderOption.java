package dev.stn4j.commandline;

import dev.stn4j.sdk.Provider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --provider auto|cpu|cuda[:N]|tensorrt[:N]}, parsed with the SDK's own syntax so that the
 * two never drift apart. Used as a picocli {@code @Mixin}.
 */
public final class ProviderOption {
  @Option(
      names = "--provider",
      paramLabel = "PROVIDER",
      defaultValue = "auto",
      converter = Converter.class,
      description =
          "auto, cpu, cuda[:DEVICE] or tensorrt[:DEVICE] (default: ${DEFAULT-VALUE}: CUDA when it"
              + " works, else CPU)")
  private Provider provider;

  /** The execution provider asked for. */
  public Provider provider() {
    return provider;
  }

  /** Turns the option's text into a {@link Provider}, or a usage error naming the value. */
  public static final class Converter implements ITypeConverter<Provider> {
    @Override
    public Provider convert(String value) {
      try {
        return Provider.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
