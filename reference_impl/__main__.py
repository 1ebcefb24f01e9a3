from reference_impl.cli import main

main()
