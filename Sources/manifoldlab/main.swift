import ManifoldLabCLI

Manifoldlab.start()
