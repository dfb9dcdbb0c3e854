package dev.stn4j.serve;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol's health and metadata: {@code /v2/health/live}, {@code
 * /v2/health/ready}, {@code /v2} and {@code /v2/models/<name>[/versions/<v>][/ready]}. The served
 * model's {@code /infer} is {@link V2InferHandler}'s; any other path under {@code /v2/models/} is
 * answered here, with a 404 that names the unknown model, version or resource.
 */
final class V2MetadataHandler extends EndpointHandler {
  static final String MODELS = "/v2/models/";

  private static final String LIVE = "/v2/health/live";
  private static final String READY = "/v2/health/ready";

  /** Its paths outside {@link #MODELS}. */
  static final List<String> PATHS = List.of(LIVE, READY, "/v2", "/v2/");

  private final BooleanSupplier ready;
  private final OpenInference protocol;

  /** {@code ready} says whether the server takes inference requests now. */
  V2MetadataHandler(BooleanSupplier ready, OpenInference protocol, ServeMetrics metrics) {
    super(metrics);
    this.ready = ready;
    this.protocol = protocol;
  }

  @Override
  Route route(String path) {
    return switch (path) {
      case LIVE -> get("live", ex -> ex.json(200, g -> g.writeBooleanField("live", true)));
      case READY -> get("ready", this::ready);
      case "/v2", "/v2/" -> get("server_metadata", V2MetadataHandler::serverMetadata);
      default -> path.startsWith(MODELS) ? modelRoute(ModelPath.parse(path)) : Route.notFound(path);
    };
  }

  private static Route get(String endpoint, Action action) {
    return new Route(
        endpoint,
        ex -> {
          ex.requireMethod("GET");
          action.run(ex);
        });
  }

  private void ready(Exchange ex) {
    boolean now = ready.getAsBoolean();
    ex.json(now ? 200 : 503, g -> g.writeBooleanField("ready", now));
  }

  private static void serverMetadata(Exchange ex) {
    ex.json(
        200,
        g -> {
          g.writeStringField("name", "stn4j");
          g.writeStringField("version", version());
          g.writeArrayFieldStart("extensions");
          g.writeString("binary_tensor_data");
          g.writeEndArray();
        });
  }

  private Route modelRoute(ModelPath p) {
    return new Route(
        p.endpoint(),
        ex -> {
          p.requireServed();
          switch (p.action()) {
            case "" -> {
              ex.requireMethod("GET");
              ex.send(200, Exchange.JSON, protocol.modelMetadata(), Map.of());
            }
            case "ready" -> {
              ex.requireMethod("GET");
              modelReady(ex);
            }
              // The served model's infer is routed to V2InferHandler before it gets here.
            default -> throw HttpError.notFound(p.path());
          }
        });
  }

  private void modelReady(Exchange ex) {
    boolean now = ready.getAsBoolean();
    ex.json(
        now ? 200 : 503,
        g -> {
          g.writeStringField("name", OpenInference.MODEL_NAME);
          g.writeBooleanField("ready", now);
        });
  }

  /** The server's version, from its jar's manifest. */
  static String version() {
    String v = InferenceServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** {@code /v2/models/<name>[/versions/<version>][/<action>]}, split; version null if absent. */
  private record ModelPath(String path, String name, String version, String action) {
    static ModelPath parse(String path) {
      String[] parts = path.substring(MODELS.length()).split("/", -1);
      int next = 1;
      String version = null;
      if (parts.length >= 3 && parts[1].equals("versions")) {
        version = parts[2];
        next = 3;
      }
      String action =
          parts.length > next ? String.join("/", List.of(parts).subList(next, parts.length)) : "";
      return new ModelPath(path, parts[0], version, action);
    }

    String endpoint() {
      return switch (action) {
        case "" -> "model_metadata";
        case "ready" -> "model_ready";
        case "infer" -> "infer";
        default -> UNKNOWN;
      };
    }

    void requireServed() throws HttpError {
      OpenInference.requireServed(name, version);
    }
  }
}
