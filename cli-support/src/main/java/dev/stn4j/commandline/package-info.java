/**
 * What every {@code stn} command line shares, so that all of them behave alike: the root command
 * and its error, usage and exit-code policy, one line per failure ({@link
 * dev.stn4j.commandline.StnCommandLine}), the version ({@link
 * dev.stn4j.commandline.VersionProvider}), and the options several commands take ({@link
 * dev.stn4j.commandline.ModelOption}, {@link dev.stn4j.commandline.ProviderOption}, {@link
 * dev.stn4j.commandline.SummaryJsonOption}, {@link dev.stn4j.commandline.BatchSizeOption}). The SDK
 * itself stays free of picocli.
 */
package dev.stn4j.commandline;
