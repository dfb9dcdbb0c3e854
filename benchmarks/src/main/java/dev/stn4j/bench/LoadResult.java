package dev.stn4j.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one measured window of closed-loop load on {@code stn serve} gave, as {@code bench serve}'s
 * JSON rows carry it (its scripts read these names).
 *
 * @param mode how the clients asked
 * @param concurrency client threads
 * @param requests requests answered inside the measured window
 * @param requestsPerSecond {@code requests} over the window's length
 * @param p50Ms median latency; NaN when no request was answered
 * @param p99Ms 99th percentile latency; NaN when no request was answered
 * @param errors requests that failed or got a status other than the expected one (or 503)
 * @param wrongAnswers valid requests answered 200 with another class than the SDK's
 * @param status503 requests the server turned away as overloaded
 * @param other5xx other server errors
 * @param invalidRequests requests sent invalid on purpose ({@code --invalid-every})
 * @param serverRssKiBStart the server's resident memory as the window began; -1 without /proc
 * @param serverRssKiBEnd the same as it ended
 * @param serverOutsideJvmKiBStart the first memory sample's resident memory outside the JVM's
 *     accounting; absent when no sample was taken
 * @param serverOutsideJvmKiBEnd the same of the last sample
 * @param serverMemory the memory samples taken
 * @param serverMemorySamplesMissed samples the server did not answer in time
 * @param clientCpuSeconds CPU time of this process over the window
 * @param serverCpuSeconds CPU time of the server over the window
 */
record LoadResult(
    ServeMode mode,
    int concurrency,
    long requests,
    double requestsPerSecond,
    double p50Ms,
    double p99Ms,
    long errors,
    long wrongAnswers,
    long status503,
    long other5xx,
    long invalidRequests,
    long serverRssKiBStart,
    long serverRssKiBEnd,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long serverOutsideJvmKiBStart,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long serverOutsideJvmKiBEnd,
    List<ServerMemory> serverMemory,
    int serverMemorySamplesMissed,
    double clientCpuSeconds,
    double serverCpuSeconds) {

  LoadResult {
    serverMemory = List.copyOf(serverMemory);
  }
}
